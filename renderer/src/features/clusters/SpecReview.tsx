import { Badge, Callout, Code, Flex, Table, Text } from '@radix-ui/themes';
import type { ReviewItem } from '@shared/cluster/spec-review';
import { ShieldAlert } from 'lucide-react';
import { Fragment, type ReactNode } from 'react';

/**
 * What a spec asks for beyond Mesoscope's defaults (shared/cluster/spec-review.ts), shown before it
 * runs: what could give the spec's author this machine in red first, then every other flag.
 */
export function SpecReview({ items }: { items: ReviewItem[] }) {
  const sorted = [...items].sort((a, b) => (a.level === b.level ? 0 : a.level === 'danger' ? -1 : 1));
  const danger = items.filter((i) => i.level === 'danger').length;
  return (
    <Flex direction="column" gap="3" data-testid="spec-review">
      <Callout.Root color={danger ? 'red' : 'gray'} size="1">
        <Callout.Icon>
          <ShieldAlert size={16} />
        </Callout.Icon>
        <Callout.Text>
          This spec asks for more than Mesoscope&apos;s defaults.
          {danger > 0 && ` The ${danger === 1 ? 'line' : `${danger} lines`} in red can give whoever wrote it this machine: launch only a spec you trust.`}
        </Callout.Text>
      </Callout.Root>
      <Table.Root size="1" variant="surface">
        <Table.Header>
          <Table.Row>
            <Table.ColumnHeaderCell>Field</Table.ColumnHeaderCell>
            <Table.ColumnHeaderCell>Value</Table.ColumnHeaderCell>
            <Table.ColumnHeaderCell>What it means</Table.ColumnHeaderCell>
          </Table.Row>
        </Table.Header>
        <Table.Body>
          {sorted.map((item) => (
            <Table.Row key={item.path} align="start" data-testid={`review-${item.path}`} data-level={item.level}>
              <Table.Cell>
                <Code size="1" color={item.level === 'danger' ? 'red' : 'gray'} variant={item.level === 'danger' ? 'soft' : 'ghost'}>
                  {breakable(item.path, FIELD_SEPARATORS)}
                </Code>
              </Table.Cell>
              <Table.Cell style={{ minWidth: 190, maxWidth: 240, overflowWrap: 'anywhere' }}>
                <Code size="1" variant="ghost">
                  {breakable(item.value, VALUE_SEPARATORS)}
                </Code>
              </Table.Cell>
              <Table.Cell>
                <Text size="1" color={item.level === 'danger' ? 'red' : 'gray'}>
                  {item.level === 'danger' && (
                    <Badge color="red" size="1" mr="1">
                      host access
                    </Badge>
                  )}
                  {item.note}
                </Text>
              </Table.Cell>
            </Table.Row>
          ))}
        </Table.Body>
      </Table.Root>
    </Flex>
  );
}

/** A value wraps after a separator (an image's repository, its tag; a path's folders) before mid-word. */
const VALUE_SEPARATORS = /(?<=[/:=,])/;
/** A field's path wraps after a dot, so that a long one (agents.flags.executor_registration_timeout) leaves the value its room. */
const FIELD_SEPARATORS = /(?<=\.)/;

/** `value` with a line-break opportunity after each separator, before the browser breaks a word. */
function breakable(value: string, separators: RegExp): ReactNode {
  return value.split(separators).map((part, i) => (
    <Fragment key={i}>
      {i > 0 && <wbr />}
      {part}
    </Fragment>
  ));
}
