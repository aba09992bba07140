import { Badge, Flex, Text } from '@radix-ui/themes';
import { BookOpen, Boxes, Compass, Eye, Film, ScrollText, Settings } from 'lucide-react';
import type { ReactNode } from 'react';
import { ConnectionBanner } from '../components/ConnectionBanner';
import { Logo } from '../components/Logo';
import { DockerStatusBadge } from '../features/docker/DockerStatusBadge';
import { WATCHING } from '../features/sharing/viewer';
import { TourCard } from '../features/tours/TourCard';
import { type Page, useUiStore } from '../store/ui-store';

const NAV: { page: Page; label: string; icon: ReactNode }[] = [
  { page: 'clusters', label: 'Clusters', icon: <Boxes size={18} /> },
  { page: 'tours', label: 'Tours', icon: <Compass size={18} /> },
  { page: 'logs', label: 'Logs', icon: <ScrollText size={18} /> },
  { page: 'recordings', label: 'Recordings', icon: <Film size={18} /> },
  { page: 'reference', label: 'Reference', icon: <BookOpen size={18} /> },
  { page: 'settings', label: 'Settings', icon: <Settings size={18} /> },
];

/** Header, left navigation, and the page. */
export function AppFrame({ children }: { children: ReactNode }) {
  const page = useUiStore((s) => s.page);
  const setPage = useUiStore((s) => s.setPage);
  return (
    <div className="app-frame">
      <header className="app-header">
        <Flex align="center" gap="2">
          <Logo />
          <Text size="4" weight="bold">
            Mesoscope
          </Text>
        </Flex>
        {WATCHING && (
          <Badge size="2" color="amber" data-testid="watching-badge">
            <Eye size={14} /> Watching {WATCHING} (read-only)
          </Badge>
        )}
        <DockerStatusBadge />
      </header>
      <nav className="app-nav" aria-label="Main">
        {NAV.map((item) => (
          <button
            key={item.page}
            type="button"
            className="nav-item"
            aria-current={page === item.page ? 'page' : undefined}
            onClick={() => setPage(item.page)}
          >
            {item.icon}
            <span>{item.label}</span>
          </button>
        ))}
      </nav>
      <main className="app-main">
        <ConnectionBanner />
        {children}
      </main>
      <TourCard />
    </div>
  );
}
