import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import lockfile from 'proper-lockfile';
import { z } from 'zod';
import { mergeReserved, type Reserved } from './port-allocation';
import { processAlive } from '../process-alive';

const ClaimSchema = z.object({
  pid: z.number().int().positive(),
  ports: z.array(z.number().int()),
  ranges: z.array(z.object({ begin: z.number().int(), end: z.number().int() })),
});
type Claim = z.infer<typeof ClaimSchema>;

/** One place per machine: the ports claimed are this machine's. */
export const DEFAULT_CLAIMS_DIR = join(tmpdir(), 'mesoscope-port-claims');

/**
 * Ports promised to launches under way, shared by every Mesoscope process on this machine (the app,
 * the CLI, a script using the test API). A launch's ports reach Docker's labels only with its record,
 * once its images are there; until then two processes launching at once found the same ports free,
 * and the second cluster's ZooKeeper failed with "Address already in use". A claim is a file named by
 * its cluster, written under a lock together with the allocation that read the others'. The launch
 * removes it when it ends; a claim whose process has gone is ignored and removed.
 */
export class PortClaims {
  constructor(private readonly dir = DEFAULT_CLAIMS_DIR) {}

  /** Runs `work` (read the claims, allocate, claim) while no other process does. */
  async exclusively<T>(work: () => Promise<T>): Promise<T> {
    mkdirSync(this.dir, { recursive: true });
    const release = await lockfile.lock(this.dir, {
      retries: { retries: 100, minTimeout: 20, maxTimeout: 250 },
      stale: 10_000,
      // The lock is held for an allocation (well under a second). Lost to a stall of over 10 s, the
      // worst case is two launches with the same ports, which the second one's readiness reports;
      // the library's default throws from a timer, and would end the app.
      onCompromised: () => undefined,
    });
    try {
      return await work();
    } finally {
      await release().catch(() => undefined);
    }
  }

  /** Ports and ranges claimed by launches of other clusters still under way. */
  others(except?: string): Reserved {
    const claims = [...this.live()].filter(([cluster]) => cluster !== except);
    return mergeReserved(claims.map(([, claim]) => ({ ports: new Set(claim.ports), ranges: claim.ranges })));
  }

  /** The process (not this one) launching or changing `cluster` now, if any. */
  holder(cluster: string): number | undefined {
    const claim = this.live().get(cluster);
    return claim && claim.pid !== process.pid ? claim.pid : undefined;
  }

  claim(cluster: string, reserved: Reserved): void {
    const claim: Claim = { pid: process.pid, ports: [...reserved.ports], ranges: reserved.ranges };
    writeFileSync(this.file(cluster), JSON.stringify(claim));
  }

  /** This process's claim on `cluster` ends (another process's is left alone). */
  release(cluster: string): void {
    if (this.read(cluster)?.pid === process.pid) rmSync(this.file(cluster), { force: true });
  }

  private live(): Map<string, Claim> {
    const claims = new Map<string, Claim>();
    let names: string[];
    try {
      names = readdirSync(this.dir);
    } catch {
      return claims;
    }
    for (const name of names) {
      if (!name.endsWith('.json')) continue;
      const cluster = decodeURIComponent(name.slice(0, -'.json'.length));
      const claim = this.read(cluster);
      if (claim && processAlive(claim.pid)) claims.set(cluster, claim);
      // A file that is no claim (someone else's) is left as it is; a dead process's claim goes.
      else if (claim) rmSync(this.file(cluster), { force: true });
    }
    return claims;
  }

  private read(cluster: string): Claim | undefined {
    try {
      const parsed = ClaimSchema.safeParse(JSON.parse(readFileSync(this.file(cluster), 'utf8')));
      return parsed.success ? parsed.data : undefined;
    } catch {
      return undefined;
    }
  }

  private file(cluster: string): string {
    return join(this.dir, `${encodeURIComponent(cluster)}.json`);
  }
}
