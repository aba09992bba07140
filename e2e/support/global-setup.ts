import { execFileSync } from 'node:child_process';

/** The e2e tests run the built app (dist/) exactly as `npm run start:web` does: build it first. */
export default function globalSetup(): void {
  execFileSync('npm', ['run', '--silent', 'build'], { stdio: 'inherit' });
}
