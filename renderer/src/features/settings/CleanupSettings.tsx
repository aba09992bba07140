import { AlertDialog, Button, Card, Flex, Heading, Text } from '@radix-ui/themes';
import { useMutation } from '@tanstack/react-query';
import { useClient } from '../../api/client-context';

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
        <AlertDialog.Root>
          <AlertDialog.Trigger>
            <Button color="red" variant="soft" loading={removeAll.isPending}>
              Remove all…
            </Button>
          </AlertDialog.Trigger>
          <AlertDialog.Content maxWidth="440px">
            <AlertDialog.Title>Remove all Mesoscope resources?</AlertDialog.Title>
            <AlertDialog.Description size="2">Every cluster and what it made goes. This cannot be undone.</AlertDialog.Description>
            <Flex gap="3" mt="4" justify="end">
              <AlertDialog.Cancel>
                <Button variant="soft" color="gray">
                  Cancel
                </Button>
              </AlertDialog.Cancel>
              <AlertDialog.Action>
                <Button color="red" onClick={() => removeAll.mutate()}>
                  Remove all
                </Button>
              </AlertDialog.Action>
            </Flex>
          </AlertDialog.Content>
        </AlertDialog.Root>
      </Flex>
    </Card>
  );
}
