import { Theme } from '@radix-ui/themes';
import { useLiveFeeds } from '../api/live-feeds';
import { ClustersPage } from '../features/clusters/ClustersPage';
import { useLaunchProgressFeed } from '../features/clusters/launch-store';
import { LogsPage } from '../features/logs/LogsPage';
import { RecordingsPage } from '../features/recordings/RecordingsPage';
import { ReferencePage } from '../features/reference/ReferencePage';
import { SettingsPage } from '../features/settings/SettingsPage';
import { ToursPage } from '../features/tours/ToursPage';
import { useFollowTour, useTourFeeds } from '../features/tours/use-tour';
import { useUiStore } from '../store/ui-store';
import { AppFrame } from './AppFrame';
import { useAppearance } from './use-appearance';

const PAGES = { clusters: ClustersPage, tours: ToursPage, logs: LogsPage, recordings: RecordingsPage, settings: SettingsPage, reference: ReferencePage };

export function App() {
  const appearance = useAppearance();
  useLiveFeeds();
  useLaunchProgressFeed();
  useTourFeeds();
  useFollowTour();
  const Page = PAGES[useUiStore((s) => s.page)];
  return (
    <Theme appearance={appearance} accentColor="indigo" grayColor="slate" radius="medium" panelBackground="solid">
      <AppFrame>
        <Page />
      </AppFrame>
    </Theme>
  );
}
