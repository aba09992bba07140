import { Button, Flex, SegmentedControl } from '@radix-ui/themes';
import { ArrowLeft } from 'lucide-react';
import { type ComponentPropsWithoutRef, createElement, useEffect, useMemo } from 'react';
import Markdown, { type Components, type ExtraProps } from 'react-markdown';
import remarkGfm from 'remark-gfm';
import { PageHeader } from '../../components/PageHeader';
import { useUiStore } from '../../store/ui-store';
import { anchorOfHeading, anchorOfRow, REFERENCE_DOCS, type ReferenceDoc } from './citation';
import { DOCUMENTS } from './documents';
import './reference.css';

type HastNode = NonNullable<ExtraProps['node']> | { type: string; value?: string; children?: unknown[] };

/** The plain text of a markdown node, for ids. */
function textOf(node: HastNode | undefined): string {
  if (!node) return '';
  if ('value' in node && typeof node.value === 'string') return node.value;
  return ((('children' in node ? node.children : undefined) ?? []) as HastNode[]).map(textOf).join('');
}

/** The first cell of a table row. */
function firstCell(node: ExtraProps['node']): HastNode | undefined {
  return (node?.children ?? []).find((c): c is NonNullable<ExtraProps['node']> => c.type === 'element');
}

function components(anchor: string | null, open: (doc: ReferenceDoc, anchor: string | null) => void): Components {
  const heading =
    (tag: 'h1' | 'h2' | 'h3' | 'h4') =>
    ({ node, ...props }: ComponentPropsWithoutRef<typeof tag> & ExtraProps) => {
      const id = anchorOfHeading(textOf(node));
      return createElement(tag, { ...props, id: id ?? undefined, className: id && id === anchor ? 'cited' : undefined, 'data-cited': id === anchor || undefined });
    };
  return {
    h1: heading('h1'),
    h2: heading('h2'),
    h3: heading('h3'),
    h4: heading('h4'),
    tr: ({ node, ...props }) => {
      const id = anchorOfRow(textOf(firstCell(node)));
      return <tr {...props} id={id ?? undefined} className={id && id === anchor ? 'cited' : undefined} data-cited={id === anchor || undefined} />;
    },
    a: ({ node: _node, href, children, ...props }) => {
      const local = /^(api|faults|images)\.md(?:#(.*))?$/.exec(href ?? '');
      if (local)
        return (
          <a
            {...props}
            href={`#reference/${local[1]}`}
            onClick={(e) => {
              e.preventDefault();
              open(local[1] as ReferenceDoc, local[2] ?? null);
            }}
          >
            {children}
          </a>
        );
      return (
        <a {...props} href={href} target="_blank" rel="noreferrer">
          {children}
        </a>
      );
    },
  };
}

/** The project's Mesos notes (docs/mesos), opened at the section or row a citation names. */
export function ReferencePage() {
  const { doc, anchor } = useUiStore((s) => s.reference);
  const from = useUiStore((s) => s.referenceFrom);
  const openReference = useUiStore((s) => s.openReference);
  const setPage = useUiStore((s) => s.setPage);
  const document = DOCUMENTS[doc];
  const parts = useMemo(() => components(anchor, (d, a) => openReference({ doc: d, anchor: a })), [anchor, openReference]);

  useEffect(() => {
    const target = anchor ? window.document.getElementById(anchor) : null;
    if (target) target.scrollIntoView({ block: target.tagName === 'TR' ? 'center' : 'start' });
    else window.document.querySelector('.app-main')?.scrollTo({ top: 0 });
  }, [doc, anchor]);

  return (
    <div className="page">
      <PageHeader
        title="Reference"
        description="What Mesoscope knows about Mesos and cites in the fault cards and the doctor: docs/mesos in this repository."
        actions={
          from ? (
            <Button variant="soft" onClick={() => setPage(from)} data-testid="reference-back">
              <ArrowLeft size={16} /> Back
            </Button>
          ) : undefined
        }
      />
      <Flex mb="4">
        <SegmentedControl.Root value={doc} onValueChange={(d) => openReference({ doc: d as ReferenceDoc, anchor: null })} aria-label="Document">
          {REFERENCE_DOCS.map((d) => (
            <SegmentedControl.Item key={d} value={d}>
              {DOCUMENTS[d].file}
            </SegmentedControl.Item>
          ))}
        </SegmentedControl.Root>
      </Flex>
      <article className="reference-doc" data-testid="reference-doc" data-doc={doc} aria-label={`docs/mesos/${document.file}`}>
        <Markdown remarkPlugins={[remarkGfm]} components={parts}>
          {document.text}
        </Markdown>
      </article>
    </div>
  );
}
