// The live dashboard's main-process side: one ClusterMonitor per cluster, folding the
// operator stream into a ClusterModel and sending delta batches (shared/dashboard).
export { ClusterModel, coalesce, type ClusterModelOptions } from './cluster-model';
export { ClusterMonitor, type ClusterMonitorOptions, type DeltaListener } from './cluster-monitor';
