import { Card, Flex, Heading, Text } from '@radix-ui/themes';
import { useMutation } from '@tanstack/react-query';
import { useClient } from '../../api/client-context';
import { ConfirmButton } from '../../components/ConfirmButton';

/** After a crash: remove everything Mesoscope made on this Docker engine, found by its labels. */
export function CleanupSettings() {
  const client = useClient();
  const removeAll = useMutation({ mutationFn: () => client.call('clusters.removeAll', {}) });
  const removed = removeAll.data?.reduce((n, r) => n + r.containers + r.taskContainers, 0);
  return (
    <Card size="3">
      <Flex justify="between" align="center" gap="4">
        <div>
          <Heading size="4">Remove all Mesoscope resources</Heading>
          <Text as="p" size="2" color="gray" mt="1">
            Every cluster on this Docker engine, with its task containers, networks, volumes and work dirs.
          </Text>
          {removeAll.isSuccess && (
            <Text as="p" size="2" color="green" mt="1" data-testid="cleanup-result">
              Removed {removeAll.data.length} {removeAll.data.length === 1 ? 'cluster' : 'clusters'} ({removed} containers).
            </Text>
          )}
          {removeAll.error && (
            <Text as="p" size="2" color="red" mt="1" role="alert">
              {removeAll.error.message}
            </Text>
          )}
        </div>
        <ConfirmButton
          title="Remove all Mesoscope resources?"
          description="Every cluster and what it made goes. This cannot be undone."
          confirmLabel="Remove all"
          loading={removeAll.isPending}
          onConfirm={() => removeAll.mutate()}
        >
          Remove all…
        </ConfirmButton>
      </Flex>
    </Card>
  );
}
