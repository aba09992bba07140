import { Button, Card, Code, Flex, Heading, Skeleton, Text, TextField } from '@radix-ui/themes';
import { ApiError } from '@shared/errors';
import type { SettingsView } from '@shared/settings';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useClient } from '../../api/client-context';
import { describeEndpointSource } from '../docker/describe';

const KEY = ['settings'] as const;

export function DockerEndpointSettings() {
  const client = useClient();
  const queryClient = useQueryClient();
  const { data: view } = useQuery({ queryKey: KEY, queryFn: () => client.call('settings.get', {}) });
  const [draft, setDraft] = useState<string | null>(null);

  const save = useMutation({
    mutationFn: (dockerEndpoint: string | null) => client.call('settings.update', { dockerEndpoint }),
    onSuccess: (next) => {
      queryClient.setQueryData<SettingsView>(KEY, next);
      setDraft(null);
    },
  });

  const fieldError = save.error instanceof ApiError && save.error.code === 'invalid-input' ? save.error.message : save.error?.message;
  const value = draft ?? view?.settings.dockerEndpoint ?? '';

  return (
    <Card size="3">
      <Heading size="4">Docker endpoint</Heading>
      <Text as="p" size="2" color="gray" mt="1" mb="4">
        The Docker engine that runs your clusters. Leave it empty to find it as the docker CLI does: <Code>DOCKER_HOST</Code>,
        the current docker context, the rootless socket, the default socket; then Docker Desktop's, Colima's and Podman's
        sockets.
      </Text>
      {!view ? (
        <Skeleton height="32px" />
      ) : (
        <Flex direction="column" gap="3">
          <Text size="2" data-testid="endpoint-in-use">
            In use: <Code>{view.dockerEndpoint.url}</Code>{' '}
            <Text color="gray">({describeEndpointSource(view.dockerEndpoint)})</Text>
          </Text>
          <form
            onSubmit={(event) => {
              event.preventDefault();
              save.mutate(value.trim() === '' ? null : value.trim());
            }}
          >
            <Flex gap="2" align="start">
              <TextField.Root
                style={{ flex: 1 }}
                placeholder="unix:///var/run/docker.sock or tcp://127.0.0.1:2375"
                value={value}
                onChange={(event) => setDraft(event.target.value)}
                aria-label="Docker endpoint"
                color={fieldError ? 'red' : undefined}
              />
              <Button type="submit" loading={save.isPending} disabled={draft === null}>
                Save
              </Button>
              <Button
                type="button"
                variant="soft"
                color="gray"
                disabled={view.settings.dockerEndpoint === null}
                onClick={() => save.mutate(null)}
              >
                Use default
              </Button>
            </Flex>
          </form>
          {fieldError && (
            <Text size="2" color="red" role="alert">
              {fieldError}
            </Text>
          )}
        </Flex>
      )}
    </Card>
  );
}
