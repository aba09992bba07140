// The agent's checkpointed identity under --work_dir (src/slave/paths.hpp):
// <work_dir>/meta/slaves/latest -> <agent id>, holding slave.info. Real Mesos writes a
// protobuf there; the emulator writes JSON, so its work_dirs are its own (see README).
import fs from 'node:fs';
import path from 'node:path';
import type { Attribute } from '../common/attributes';
import type { Resource } from '../common/resources';

export interface CheckpointedInfo {
  id: string;
  hostname: string;
  port: number;
  resources: Resource[];
  attributes: Attribute[];
}

export const metaDir = (workDir: string) => path.join(workDir, 'meta');
export const latestSlavePath = (workDir: string) => path.join(metaDir(workDir), 'slaves', 'latest');

export function recoverInfo(workDir: string): CheckpointedInfo | undefined {
  try {
    const text = fs.readFileSync(path.join(latestSlavePath(workDir), 'slave.info'), 'utf8');
    return JSON.parse(text) as CheckpointedInfo;
  } catch {
    return undefined;
  }
}

export function checkpointInfo(workDir: string, info: CheckpointedInfo): void {
  const dir = path.join(metaDir(workDir), 'slaves', info.id);
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'slave.info'), JSON.stringify(info));
  const latest = latestSlavePath(workDir);
  fs.rmSync(latest, { force: true });
  fs.symlinkSync(info.id, latest);
  fs.mkdirSync(path.join(workDir, 'slaves', info.id), { recursive: true });
  const slavesLatest = path.join(workDir, 'slaves', 'latest');
  fs.rmSync(slavesLatest, { force: true });
  fs.symlinkSync(info.id, slavesLatest);
}

/** `reconfiguration_policy=equal`: resources and attributes must match the checkpoint. */
export function compatible(old: CheckpointedInfo, now: Omit<CheckpointedInfo, 'id'>): boolean {
  return (
    JSON.stringify(old.resources) === JSON.stringify(now.resources) &&
    JSON.stringify(old.attributes) === JSON.stringify(now.attributes) &&
    old.hostname === now.hostname &&
    old.port === now.port
  );
}
