// What the master's endpoints and renderers read.
import type { Flags } from '../common/flags';
import type { Files } from '../files/files';
import type { Logger } from '../logging/glog';
import type { MasterInfo } from './model';
import type { MasterState } from './state';

export interface MasterContext {
  readonly info: MasterInfo;
  readonly flags: Flags;
  readonly state: MasterState;
  readonly startTime: bigint;
  readonly logger: Logger;
  readonly files: Files;
  electedTime(): bigint | undefined;
  elected(): boolean;
  /** The current leader as detected (this master when elected), or null when none is known. */
  leader(): MasterInfo | null;
  operatorSubscribers(): number;
  allocationRuns(): number;
}
