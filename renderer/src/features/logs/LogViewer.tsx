import { Badge, Button, Callout, Flex, IconButton, Text, TextField, Tooltip } from '@radix-ui/themes';
import type { LogSource } from '@shared/logs/schema';
import { useVirtualizer } from '@tanstack/react-virtual';
import { ArrowDownToLine, ArrowUpToLine, ChevronDown, ChevronUp, Clock, Copy, Download, Pause, Play, Search, TriangleAlert, WrapText } from 'lucide-react';
import { useEffect, useLayoutEffect, useMemo, useRef, useState, useSyncExternalStore } from 'react';
import { useClient } from '../../api/client-context';
import './logs.css';
import { LogDocument } from './log-document';
import { LogLine, plainText } from './LogLine';
import { useDownload } from './use-download';
import { type RowWindow, useFixedRows } from '../../components/use-fixed-rows';

const ROW = 18;

/**
 * The one log viewer: node logs, task output and sandbox files. Only the lines on screen are rendered;
 * a followed log keeps its newest lines in view until the user scrolls up (pause) or presses Pause;
 * a file is read in ranges as the view moves past what is held.
 */
export function LogViewer({ source, cluster, initialQuery, openAt }: { source: LogSource; cluster: string; initialQuery?: string; openAt?: number }) {
  const client = useClient();
  const key = JSON.stringify(source);
  // One document per source and place; a new one starts anew (and closes the old one's follow).
  const doc = useMemo(() => new LogDocument(client, JSON.parse(key) as LogSource, openAt !== undefined ? { openAt } : {}), [client, key, openAt]);
  useEffect(() => {
    doc.open();
    return () => doc.dispose();
  }, [doc]);
  const { state, version } = useSyncExternalStore(doc.subscribe, doc.snapshot);
  const buffer = doc.buffer;
  const count = buffer.count;

  const [wrap, setWrap] = useState(false);
  const [showTime, setShowTime] = useState(true);
  const [query, setQuery] = useState(initialQuery ?? '');
  const [current, setCurrent] = useState(0);
  const [copied, setCopied] = useState('');
  const download = useDownload();

  const scroller = useRef<HTMLDivElement>(null);
  const lastTop = useRef(0);
  // A line to bring into view once the buffer it belongs to is rendered (after a search in the file).
  const pendingIndex = useRef<number | null>(null);
  const [note, setNote] = useState('');
  // Lines of one height are placed by arithmetic (useFixedRows); wrapped lines are measured (TanStack).
  // eslint-disable-next-line react-hooks/incompatible-library
  const measured = useVirtualizer({
    count,
    enabled: wrap,
    getScrollElement: () => scroller.current,
    estimateSize: () => ROW,
    overscan: 6,
    measureElement: (el) => el.getBoundingClientRect().height,
  });
  const fixed = useFixedRows({ count, rowHeight: ROW, overscan: 6, scroller, enabled: !wrap, pinnedToEnd: state.following && state.mode !== 'window' });
  const rows: RowWindow = wrap ? measured : fixed;
  // Stable while `wrap` is (the rows' window changes with every scroll): the effects below use it, and
  // must not run again on a scroll (the follow effect would scroll back to the end before a pause lands).
  const scrollToIndex = wrap ? measured.scrollToIndex : fixed.scrollToIndex;

  // Search the buffer when the query changes, and again as lines come (at most twice a second).
  const needle = query.trim().toLowerCase();
  const [matches, setMatches] = useState<number[]>([]);
  const searchedAt = useRef({ version: -1, query: '', at: 0 });
  // Opened at a line (a search match): the current match is that line, once it is held.
  const alignedTo = useRef<LogDocument | null>(null);
  useEffect(() => {
    const last = searchedAt.current;
    if (last.query === needle && (last.version === version || needle === '')) return;
    const wait = last.query === needle ? Math.max(0, 500 - (performance.now() - last.at)) : 150;
    const timer = setTimeout(() => {
      const fresh = last.query !== needle;
      searchedAt.current = { version, query: needle, at: performance.now() };
      const found = needle ? buffer.search(needle) : [];
      setMatches(found);
      const target = doc.targetIndex;
      const atTarget = target === undefined ? -1 : found.indexOf(target);
      if (atTarget >= 0 && alignedTo.current !== doc) {
        alignedTo.current = doc;
        setCurrent(atTarget);
        scrollToIndex(target as number, { align: 'center' });
      } else if (fresh && found.length > 0) {
        // A new search shows its first match at once (and stops following, or the match would scroll away).
        setCurrent(0);
        doc.pause();
        scrollToIndex(found[0] as number, { align: 'center' });
      }
    }, wait);
    return () => clearTimeout(timer);
  }, [needle, version, buffer, doc, scrollToIndex]);

  // Follow: keep the last line in view. After a page back: keep the same lines in view. The target
  // comes from the virtualizer's sizes, not from the DOM, so that no layout is forced here.
  const totalSize = rows.getTotalSize();
  useLayoutEffect(() => {
    const el = scroller.current;
    if (!el) return;
    if (doc.scrollToTarget && doc.targetIndex !== undefined) {
      doc.scrollToTarget = false;
      scrollToIndex(doc.targetIndex, { align: 'center' });
      lastTop.current = el.scrollTop;
    } else if (pendingIndex.current !== null) {
      scrollToIndex(pendingIndex.current, { align: 'center' });
      pendingIndex.current = null;
      lastTop.current = el.scrollTop;
    } else if (doc.scrollToTop) {
      doc.scrollToTop = false;
      lastTop.current = 0;
      el.scrollTop = 0;
    } else if (doc.prependedLines > 0) {
      lastTop.current += doc.prependedLines * ROW;
      el.scrollTop = lastTop.current;
      doc.prependedLines = 0;
    } else if ((doc.state.following || doc.scrollToEnd) && state.mode !== 'window') {
      // The document's own state, not the one rendered: a wheel up pauses it before React hears of it
      // (up to 100 ms later), and a render between (the wheel's scroll, with lines taken meanwhile) must
      // not scroll back to the end over the user's move.
      doc.scrollToEnd = false;
      // Past the end on purpose: the browser stops at the last line.
      lastTop.current = totalSize;
      el.scrollTop = totalSize;
    }
  }, [version, state.following, state.mode, doc, totalSize, scrollToIndex]);

  const onScroll = () => {
    const el = scroller.current;
    if (!el) return;
    const top = el.scrollTop;
    // Where following put it (clamped by the browser) is not a move of the user's.
    if (lastTop.current > top && lastTop.current >= totalSize && top + el.clientHeight >= el.scrollHeight - 1) {
      lastTop.current = top;
      return;
    }
    const atBottom = top + el.clientHeight >= el.scrollHeight - ROW * 2;
    // Only the user scrolls up: the view's own moves are to the bottom.
    if (top < lastTop.current - 1 && state.following) doc.pause();
    else if (atBottom && !state.following && state.mode === 'live') doc.resume();
    if (top < ROW * 3) void doc.loadEarlier();
    if (atBottom) void doc.loadLater();
    lastTop.current = top;
  };

  /** Past the last match held (or before the first), a file is searched on by the host. */
  const beyond = async (direction: 'forward' | 'backward') => {
    setNote('');
    if (!(await doc.searchBeyond(needle, direction))) {
      setNote(direction === 'forward' ? 'no further match in the file' : 'no earlier match in the file');
      return;
    }
    const found = buffer.search(needle);
    searchedAt.current = { version: -1, query: needle, at: performance.now() };
    setMatches(found);
    const at = direction === 'forward' ? 0 : found.length - 1;
    setCurrent(Math.max(0, at));
    pendingIndex.current = found[at] ?? null;
  };

  const goTo = (i: number) => {
    if (needle && matches.length === 0) {
      // Nothing held matches: search the file the way it goes on (backward from a tail).
      if (doc.moreAfter && i >= 0) return void beyond('forward');
      if (doc.moreBefore) return void beyond('backward');
      return;
    }
    if (needle && i >= matches.length && doc.moreAfter) return void beyond('forward');
    if (needle && i < 0 && doc.moreBefore) return void beyond('backward');
    if (matches.length === 0) return;
    const next = ((i % matches.length) + matches.length) % matches.length;
    setCurrent(next);
    setNote('');
    doc.pause();
    rows.scrollToIndex(matches[next] as number, { align: 'center' });
  };

  /** The lines held, as text (ANSI sequences taken out), to the clipboard. */
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(plainText(buffer.text()));
      setCopied('Copied');
    } catch (err) {
      setCopied(`Not copied: ${(err as Error).message}`);
    }
    setTimeout(() => setCopied(''), 2000);
  };

  const fileForDownload = state.file?.agentId ? { cluster, agentId: state.file.agentId, path: state.file.path } : null;
  const currentLine = matches[current];
  const targetLine = doc.targetIndex;

  return (
    <Flex direction="column" gap="2" className="log-viewer" data-testid="log-viewer" data-mode={state.mode} data-following={String(state.following)}>
      <Flex align="center" gap="2" wrap="wrap">
        <Text size="2" weight="bold" data-testid="log-title">
          {state.title || '…'}
        </Text>
        <StatusBadge mode={state.mode} following={state.following} waiting={state.waitingLines} endReason={state.endReason} />
        <Flex gap="1" ml="auto" align="center" wrap="wrap">
          {state.following && state.mode === 'live' && (
            <Button size="1" variant="soft" onClick={() => doc.pauseAtEnd()} data-testid="log-pause">
              <Pause size={14} /> Pause
            </Button>
          )}
          {(state.mode === 'window' || (!state.following && (state.mode === 'live' || state.waitingLines > 0))) && (
            <Button size="1" variant="soft" onClick={() => doc.jumpToEnd()} data-testid="log-follow">
              <Play size={14} /> Follow
            </Button>
          )}
          <Tooltip content="Jump to the end">
            <IconButton
              size="1"
              variant="soft"
              color="gray"
              aria-label="Jump to the end"
              data-testid="log-jump-end"
              onClick={() => {
                doc.jumpToEnd();
                rows.scrollToIndex(Math.max(0, count - 1), { align: 'end' });
              }}
            >
              <ArrowDownToLine size={14} />
            </IconButton>
          </Tooltip>
          {doc.isFile && (
            <Tooltip content="Start of the file">
              <IconButton size="1" variant="soft" color="gray" aria-label="Start of the file" onClick={() => void doc.jumpToStart()}>
                <ArrowUpToLine size={14} />
              </IconButton>
            </Tooltip>
          )}
          <TextField.Root
            size="1"
            placeholder="Search"
            value={query}
            aria-label="Search the log"
            data-testid="log-search"
            style={{ width: 200 }}
            onChange={(e) => {
              setQuery(e.target.value);
              setCurrent(0);
              setNote('');
              doc.cancelSearch();
            }}
            onKeyDown={(e) => {
              if (e.key === 'Enter') goTo(e.shiftKey ? current - 1 : current + 1);
            }}
          >
            <TextField.Slot>
              <Search size={12} />
            </TextField.Slot>
          </TextField.Root>
          <Text size="1" color="gray" data-testid="log-search-count" style={{ minWidth: 80 }}>
            {state.searching
              ? `searching… ${(state.searching.scanned / 1e6).toFixed(0)} MB`
              : note || (needle ? (matches.length ? `${current + 1} of ${matches.length}${doc.isFile && (doc.moreBefore || doc.moreAfter) ? ' held' : ''}` : doc.moreAfter || doc.moreBefore ? 'none held' : 'no match') : '')}
          </Text>
          <IconButton size="1" variant="ghost" color="gray" aria-label="Previous match" disabled={!needle || (!matches.length && !doc.moreBefore)} onClick={() => goTo(current - 1)}>
            <ChevronUp size={14} />
          </IconButton>
          <IconButton size="1" variant="ghost" color="gray" aria-label="Next match" disabled={!needle || (!matches.length && !doc.moreAfter)} onClick={() => goTo(current + 1)} data-testid="log-search-next">
            <ChevronDown size={14} />
          </IconButton>
          <Tooltip content={wrap ? 'Do not wrap lines' : 'Wrap lines'}>
            <IconButton size="1" variant={wrap ? 'solid' : 'soft'} color="gray" aria-label="Wrap lines" aria-pressed={wrap} onClick={() => setWrap(!wrap)}>
              <WrapText size={14} />
            </IconButton>
          </Tooltip>
          {state.timestamps && (
            <Tooltip content={showTime ? 'Hide timestamps' : 'Show timestamps'}>
              <IconButton size="1" variant={showTime ? 'solid' : 'soft'} color="gray" aria-label="Timestamps" aria-pressed={showTime} onClick={() => setShowTime(!showTime)}>
                <Clock size={14} />
              </IconButton>
            </Tooltip>
          )}
          <Tooltip content={copied || 'Copy the lines held'} open={copied ? true : undefined}>
            <IconButton size="1" variant="soft" color="gray" aria-label="Copy" onClick={() => void copy()}>
              <Copy size={14} />
            </IconButton>
          </Tooltip>
          {fileForDownload && (
            <Tooltip content="Download the file">
              <IconButton size="1" variant="soft" color="gray" aria-label="Download" loading={download.isPending} onClick={() => download.mutate(fileForDownload)}>
                <Download size={14} />
              </IconButton>
            </Tooltip>
          )}
        </Flex>
      </Flex>
      {(state.error ?? state.problem ?? download.error?.message) && (
        <Callout.Root color={state.error ? 'red' : 'amber'} size="1" role="alert">
          <Callout.Icon>
            <TriangleAlert size={14} />
          </Callout.Icon>
          <Callout.Text data-testid="log-error">{state.error ?? state.problem ?? download.error?.message}</Callout.Text>
        </Callout.Root>
      )}
      <div
        ref={scroller}
        className={`log-scroll${wrap ? ' log-wrap' : ''}`}
        onScroll={onScroll}
        onWheel={(e) => e.deltaY < 0 && doc.pause()}
        tabIndex={0}
        data-testid="log-scroll"
      >
        {count === 0 && state.mode !== 'opening' && (
          <Text as="p" size="1" color="gray" className="log-empty">
            {state.mode === 'error' ? '' : 'Nothing written yet.'}
          </Text>
        )}
        <div style={{ height: rows.getTotalSize(), position: 'relative' }}>
          {rows.getVirtualItems().map((item) => {
            const line = buffer.line(item.index);
            return (
              <div
                // Unwrapped, keyed by place on screen: while following, the same elements get new text
                // instead of being removed and created again every frame (measured rows: by index).
                key={item.key}
                data-index={item.index}
                ref={wrap ? measured.measureElement : undefined}
                className={`log-line${buffer.isStderr(item.index) ? ' log-stderr' : ''}${item.index === currentLine && needle ? ' log-current' : ''}${item.index === targetLine ? ' log-target' : ''}`}
                style={{ transform: `translateY(${item.start}px)`, ...(wrap ? {} : { height: ROW }) }}
                data-testid="log-line"
              >
                <LogLine line={line} needle={needle} showTime={showTime} />
              </div>
            );
          })}
        </div>
      </div>
      <Text size="1" color="gray" data-testid="log-footer">
        {count.toLocaleString()} lines held
        {buffer.droppedOldest > 0 && ` · ${buffer.droppedOldest.toLocaleString()} older ones dropped`}
        {doc.isFile && buffer.startOffset !== undefined && ` · bytes ${buffer.startOffset.toLocaleString()}–${(buffer.endOffset ?? 0).toLocaleString()}${state.size !== undefined ? ` of ${state.size.toLocaleString()}` : ''}`}
        {state.loading && ' · reading…'}
      </Text>
    </Flex>
  );
}

function StatusBadge({ mode, following, waiting, endReason }: { mode: string; following: boolean; waiting: number; endReason?: string }) {
  if (mode === 'opening') return <Badge color="gray">opening</Badge>;
  if (mode === 'error') return <Badge color="red">failed</Badge>;
  if (mode === 'window') return <Badge color="gray">paging through the file</Badge>;
  if (mode === 'ended') {
    return (
      <Badge color="gray" data-testid="log-status">
        ended: {endReason}
        {waiting > 0 && ` · ${waiting.toLocaleString()} new lines waiting`}
      </Badge>
    );
  }
  return following ? (
    <Badge color="green" data-testid="log-status">
      following
    </Badge>
  ) : (
    <Badge color="amber" data-testid="log-status">
      paused{waiting > 0 && ` · ${waiting.toLocaleString()} new lines waiting`}
    </Badge>
  );
}
