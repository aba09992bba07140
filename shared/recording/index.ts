// The flight recorder's file format (docs/recording-format.md) and replay: the cluster's state at any
// moment of a recording, and what the doctor said then.
export * from './schema';
export * from './timeline';
