/** The Mesoscope mark: a lens over three nodes. */
export function Logo({ size = 28 }: { size?: number }) {
  return (
    <svg width={size} height={size} viewBox="0 0 64 64" aria-hidden="true">
      <rect width="64" height="64" rx="14" fill="var(--accent-9)" />
      <g fill="none" stroke="var(--accent-contrast)" strokeWidth="4">
        <circle cx="32" cy="32" r="18" />
        <circle cx="32" cy="32" r="7" />
      </g>
      <g fill="var(--accent-contrast)">
        <circle cx="32" cy="14" r="4" />
        <circle cx="47.6" cy="41" r="4" />
        <circle cx="16.4" cy="41" r="4" />
      </g>
    </svg>
  );
}
