import { attachJourney } from './support/attach-journey';

// The attach journey on real Apache Mesos 1.12 (playwright.real-mesos.config.ts).
attachJourney('test-results/real-mesos');
