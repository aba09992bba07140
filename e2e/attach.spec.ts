import { attachJourney } from './support/attach-journey';

// Attach to a cluster Mesoscope did not start, on the emulator (its HTTP authentication as Mesos 1.12 does it).
attachJourney('test-results/screenshots');
