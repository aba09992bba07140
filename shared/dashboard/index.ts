// The live dashboard's data: the normalized cluster view, the deltas that keep a copy of it current,
// and the operator API shapes they are folded from.
export * from './view';
export * from './deltas';
export * from './operator';
