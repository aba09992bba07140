import type { CallName, EventName } from './index';

/**
 * Which calls a viewer (the audience view's token) may make. Every call of the contract is here, as a
 * read or as a write with the reason a viewer may not make it; the type makes a new call that is not
 * classified a compile error, and access.test.ts checks the table against the contract at run time too.
 * The host enforces it (electron/sharing/viewer-dispatcher.ts): a viewer's write is refused there.
 */
export type Access = { kind: 'read' } | { kind: 'write'; reason: string };

const read: Access = { kind: 'read' };
const write = (reason: string): Access => ({ kind: 'write', reason });

export const CALL_ACCESS: Record<CallName, Access> = {
  'docker.status': read,
  'settings.get': read,
  'settings.update': write("changes the presenter's settings"),
  'images.check': read,
  'clusters.list': read,
  'clusters.create': write('launches a cluster'),
  'clusters.resume': write('starts nodes'),
  'clusters.stop': write('stops every node'),
  'clusters.destroy': write('removes a cluster'),
  'clusters.removeAll': write('removes every Mesoscope resource'),
  'clusters.nodeAction': write("changes a node's container"),
  'clusters.addAgent': write('adds an agent'),
  'clusters.removeAgent': write('removes an agent'),
  'logs.nodes': read,
  'logs.sandbox': read,
  'logs.browse': read,
  'logs.read': read,
  'logs.search': read,
  'logs.ack': read,
  'logs.download': write("saves a file through the presenter's host (a save dialog on the desktop)"),
  'tasks.container': read,
  'runs.launch': write('runs tasks'),
  'runs.kill': write('kills a task'),
  'runs.killAll': write('kills tasks'),
  'faults.inject': write('breaks the cluster on purpose'),
  'faults.undo': write('changes a node'),
  'artifacts.get': read,
  'artifacts.add': write("serves a file of the presenter's machine"),
  'artifacts.remove': write('stops serving a file'),
  'doctor.diagnose': read,
  'doctor.verdicts': read,
  'doctor.applyFix': write('changes the cluster'),
  'recordings.start': write('starts a recording'),
  'recordings.stop': write('stops a recording'),
  'recordings.mark': write('writes into a recording'),
  'recordings.list': read,
  'recordings.open': write("opens a file on the presenter's machine"),
  'recordings.stateAt': read,
  'recordings.diagnose': read,
  'recordings.close': write("closes the presenter's replay"),
  'recordings.upload': write("writes a file into the presenter's recordings folder"),
  'recordings.choose': write("opens a dialog on the presenter's screen"),
  'recordings.download': write("saves a file through the presenter's host"),
  'recordings.remove': write('deletes a recording'),
  'mesos.state': read,
  'tours.list': read,
  'tours.start': write('starts a tour'),
  'tours.act': write("does a tour scene's action"),
  'tours.go': write('moves the tour'),
  'tours.end': write('ends the tour'),
  'sharing.addresses': read,
  'sharing.start': write('turns the audience view on'),
  'sharing.stop': write('turns the audience view off'),
  'services.list': read,
  'services.endpoints': read,
  'services.create': write('starts a service'),
  'services.scale': write("changes a service's instances"),
  'services.restart': write("restarts a service's instances"),
  'services.remove': write('removes a service'),
  'exec.input': write("types into a container's shell"),
  'exec.resize': write("resizes a container's terminal"),
  'exec.ack': write("drives a container's shell"),
  'bundles.open': write("opens a file on the presenter's machine"),
  'bundles.download': write("saves a file through the presenter's host"),
  'attach.list': read,
  'attach.add': write("saves a connection (and its secret) in the presenter's settings"),
  'attach.remove': write('removes a connection'),
  'attach.setWrites': write("turns a connection's writes on or off"),
  'attach.agents': read,
  'attach.docker': read,
};

/** Subscriptions, classified as deliberately as calls: most only watch, but a terminal or a bundle acts on the host. */
export const EVENT_ACCESS: Record<EventName, Access> = {
  'dashboard.deltas': read,
  'dashboard.watchOffers': read,
  'clusters.changed': read,
  'clusters.launchProgress': read,
  'docker.statusChanged': read,
  'runs.view': read,
  'logs.follow': read,
  'tours.state': read,
  'sharing.state': read,
  'services.view': read,
  'logs.searchAll': read,
  'exec.session': write('opens a shell in a container'),
  'bundles.export': write("writes a support bundle on the presenter's machine"),
  'attach.changed': read,
};

export function callAccess(name: CallName): Access {
  return CALL_ACCESS[name];
}
