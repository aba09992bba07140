import { Link } from '@radix-ui/themes';
import type { ReactNode } from 'react';
import { useUiStore } from '../../store/ui-store';
import type { Citation } from './citation';

/** A citation of docs/mesos that opens the Reference page at the cited section or row. */
export function CitationLink({ citation, children }: { citation: Citation; children?: ReactNode }) {
  const openReference = useUiStore((s) => s.openReference);
  return (
    <Link
      href={`#reference/${citation.doc}${citation.anchor ? `/${citation.anchor}` : ''}`}
      data-testid="citation"
      title={`Open docs/mesos/${citation.label.replace(/^docs\/mesos\//, '')}`}
      onClick={(e) => {
        e.preventDefault();
        e.stopPropagation();
        openReference(citation);
      }}
    >
      {children ?? citation.label}
    </Link>
  );
}
