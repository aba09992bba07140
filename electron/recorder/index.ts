// The flight recorder: records a cluster session into one file and reads it back.
export { Recorder, type RecorderOptions, type RecordingSummary, type LogChoice } from './recorder';
export { recordCluster, type ClusterRecording, type RecordClusterOptions } from './record-cluster';
export { readRecording, readRecordingHeader, type Recording, type ReadOptions } from './reader';
export { RecordingWriter } from './writer';
export { ClusterDockerEvents } from './docker-events';
export { followNodeLogs, type LogTarget } from './node-logs';
