import { Card, Heading, Text } from '@radix-ui/themes';
import { useQuery } from '@tanstack/react-query';
import { useClient } from '../../api/client-context';

/** Where the passwords and tokens of attached clusters are kept: said plainly, since it differs by host. */
export function SecretsSettings() {
  const client = useClient();
  const { data } = useQuery({ queryKey: ['settings'], queryFn: () => client.call('settings.get', {}) });
  const secrets = data?.secrets;
  return (
    <Card size="3" data-testid="secrets-settings">
      <Heading size="4">Secrets of attached clusters</Heading>
      <Text as="p" size="2" color="gray" mt="1">
        Passwords and tokens of clusters you connect to are never written into the settings file.{' '}
        {secrets?.kind === 'safeStorage'
          ? 'This desktop app encrypts them with the system keychain (Electron safeStorage).'
          : secrets?.kind === 'file'
            ? 'This web host has no keychain: they are kept unencrypted in a file only your user can read (mode 0600).'
            : ''}
      </Text>
      {secrets && (
        <Text as="p" size="2" mt="2">
          <code>{secrets.where}</code>
        </Text>
      )}
    </Card>
  );
}
