import { Flex } from '@radix-ui/themes';
import { PageHeader } from '../../components/PageHeader';
import { AppearanceSettings } from './AppearanceSettings';
import { DockerEndpointSettings } from './DockerEndpointSettings';

export function SettingsPage() {
  return (
    <div className="page">
      <PageHeader title="Settings" description="Where Mesoscope finds Docker, and how it looks." />
      <Flex direction="column" gap="5">
        <DockerEndpointSettings />
        <AppearanceSettings />
      </Flex>
    </div>
  );
}
