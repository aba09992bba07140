import { z } from 'zod';

/**
 * Where a cluster's nodes live: decided once at launch (ports allocated so that clusters can run
 * side by side), recorded in the containers' labels, and read back after a restart.
 */
const Port = z.number().int().min(1).max(65535);

export const PortRangeSchema = z.object({ begin: Port, end: Port });
export type PortRange = z.infer<typeof PortRangeSchema>;

export const ClusterLayoutSchema = z.object({
  /** host: nodes share the host's network on loopback; bridge: a network per cluster, ports published on 127.0.0.1 */
  network: z.enum(['host', 'bridge']),
  /** The address the app reaches every node's port on. */
  hostAddress: z.string(),
  zookeeper: z.object({ port: Port }),
  masters: z.array(z.object({ index: z.number().int().min(1), port: Port })),
  agents: z.array(
    z.object({
      index: z.number().int().min(1),
      port: Port,
      taskPorts: PortRangeSchema,
      /** Same absolute path on the host and in the agent container (docs/mesos/api.md §7.4). */
      workDir: z.string(),
    }),
  ),
});
export type ClusterLayout = z.infer<typeof ClusterLayoutSchema>;

/** `zk://host:port/mesos`, what masters, agents and frameworks are given. */
export function zkUrl(layout: ClusterLayout, host = layout.hostAddress): string {
  return `zk://${host}:${layout.zookeeper.port}/mesos`;
}
