import { Button, Card, Code, Flex, Grid, Heading, Text, TextField } from '@radix-ui/themes';
import { ImageCheckLine } from './ImageCheckLine';
import { DEFAULT_IMAGES } from '@shared/cluster/spec';
import type { SettingsView } from '@shared/settings';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useClient } from '../../api/client-context';

const ROLES = [
  { role: 'zookeeper', label: 'ZooKeeper' },
  { role: 'master', label: 'Master' },
  { role: 'agent', label: 'Agent' },
] as const;
type Role = (typeof ROLES)[number]['role'];

/** The images new clusters use when their spec names none (pin the ZooKeeper tag here). */
export function DefaultImagesSettings() {
  const client = useClient();
  const queryClient = useQueryClient();
  const { data: view } = useQuery({ queryKey: ['settings'], queryFn: () => client.call('settings.get', {}) });
  const [draft, setDraft] = useState<Partial<Record<Role, string>>>({});
  const save = useMutation({
    mutationFn: (defaultImages: Partial<Record<Role, string>>) => client.call('settings.update', { defaultImages }),
    onSuccess: (next) => {
      queryClient.setQueryData<SettingsView>(['settings'], next);
      setDraft({});
    },
  });
  if (!view) return null;
  const current = view.settings.defaultImages;
  const value = (role: Role) => draft[role] ?? current[role] ?? '';
  const merged = () =>
    Object.fromEntries(ROLES.map(({ role }) => [role, value(role).trim()]).filter(([, v]) => v !== '')) as Partial<Record<Role, string>>;

  return (
    <Card size="3">
      <Heading size="4">Default images</Heading>
      <Text as="p" size="2" color="gray" mt="1" mb="4">
        Used by new clusters whose spec names no image for a role. Empty means the built-in default. Pin the ZooKeeper tag here:
        Mesos' own ZooKeeper client predates ZooKeeper 3.5.
      </Text>
      <Grid columns="1" gap="3">
        {ROLES.map(({ role, label }) => (
          <Flex key={role} direction="column" gap="1">
            <Flex align="center" gap="3">
              <Text size="2" weight="medium" style={{ width: 90 }}>
                {label}
              </Text>
              <TextField.Root
                style={{ flex: 1 }}
                aria-label={`Default ${label} image`}
                placeholder={DEFAULT_IMAGES[role]}
                value={value(role)}
                onChange={(e) => setDraft({ ...draft, [role]: e.target.value })}
              />
            </Flex>
            {current[role] && draft[role] === undefined && <ImageCheckLine image={current[role]} />}
          </Flex>
        ))}
      </Grid>
      <Flex gap="3" mt="3" align="center">
        <Button onClick={() => save.mutate(merged())} disabled={Object.keys(draft).length === 0} loading={save.isPending}>
          Save images
        </Button>
        <Text size="1" color="gray">
          Built-in: <Code variant="ghost">{DEFAULT_IMAGES.master}</Code>, <Code variant="ghost">{DEFAULT_IMAGES.zookeeper}</Code>
        </Text>
      </Flex>
      {save.error && (
        <Text size="2" color="red" role="alert" as="p" mt="2">
          {save.error.message}
        </Text>
      )}
    </Card>
  );
}
