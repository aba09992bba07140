// What the agent's endpoints and renderers read.
import type { Attribute } from '../common/attributes';
import type { Flags } from '../common/flags';
import type { Resource } from '../common/resources';
import type { Files } from '../files/files';
import type { Logger } from '../logging/glog';
import type { TaskManager } from './tasks/task-manager';

export interface AgentContext {
  readonly flags: Flags;
  readonly logger: Logger;
  readonly files: Files;
  /** slave(1)@<advertised ip>:<port> */
  readonly pid: string;
  readonly hostname: string;
  readonly port: number;
  readonly resources: Resource[];
  readonly attributes: Attribute[];
  readonly startTime: bigint;
  recoveryTimeSecs: number;
  /** Set once registered (or recovered from the work_dir checkpoint). */
  agentId(): string | undefined;
  /** The master this agent is registered with. */
  masterPid(): string | undefined;
  registered(): boolean;
  /** Set once the agent has its task manager. */
  tasks?: TaskManager;
}
