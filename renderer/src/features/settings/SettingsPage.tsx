import { Flex } from '@radix-ui/themes';
import { PageHeader } from '../../components/PageHeader';
import { AppearanceSettings } from './AppearanceSettings';
import { CleanupSettings } from './CleanupSettings';
import { DefaultImagesSettings } from './DefaultImagesSettings';
import { DockerEndpointSettings } from './DockerEndpointSettings';
import { SecretsSettings } from './SecretsSettings';

export function SettingsPage() {
  return (
    <div className="page">
      <PageHeader title="Settings" description="Where Mesoscope finds Docker, which images clusters use, and how it looks." />
      <Flex direction="column" gap="5">
        <DockerEndpointSettings />
        <DefaultImagesSettings />
        <SecretsSettings />
        <AppearanceSettings />
        <CleanupSettings />
      </Flex>
    </div>
  );
}
