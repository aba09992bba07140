// The app's Mesos clients: RecordIO framing shared by every stream, and the v1 scheduler.
export { RecordIODecoder, RecordIOError, encodeRecord } from './recordio';
export { MesosHttpError, openStream, post } from './http';
export { SchedulerClient, SchedulerCallError, type SchedulerClientEvents, type SchedulerClientOptions, type Subscribed } from './scheduler-client';
export { MasterClient, masterInfoUrl, type Leader, type MasterClientOptions, type StreamItem } from './master-client';
