import { Button, Callout, Card, Code, Flex, Heading, IconButton, Text, TextField } from '@radix-ui/themes';
import type { ArtifactServerView } from '@shared/contract/runs';
import type { ClusterSummary } from '@shared/cluster/status';
import { zkUrl } from '@shared/cluster/layout';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { CircleAlert, FilePlus, X } from 'lucide-react';
import { useState } from 'react';
import { useClient } from '../../api/client-context';
import { CopyField } from '../../components/CopyField';

/**
 * For framework developers: the address rule of the Mesos framework tutorial (its `--address` is the
 * one the scheduler and its file server bind, and it must be one the masters and agents reach), and a
 * file server on that address for executor and fetcher URIs.
 */
export function ArtifactsCard({ cluster }: { cluster: ClusterSummary }) {
  const client = useClient();
  const queryClient = useQueryClient();
  const key = ['artifacts', cluster.name];
  const server = useQuery({ queryKey: key, queryFn: () => client.call('artifacts.get', { cluster: cluster.name }) });
  const [path, setPath] = useState('');
  const put = (view: ArtifactServerView) => queryClient.setQueryData(key, view);
  const add = useMutation({ mutationFn: () => client.call('artifacts.add', { cluster: cluster.name, path: path.trim() }), onSuccess: (v) => (put(v), setPath('')) });
  const remove = useMutation({ mutationFn: (id: string) => client.call('artifacts.remove', { cluster: cluster.name, id }), onSuccess: put });
  const view = server.data;
  const address = view?.address ?? cluster.layout.hostAddress;
  const env = [
    `export MESOS_MASTER=${zkUrl(cluster.layout)}`,
    `export LIBPROCESS_IP=${address}`,
    ...(view && view.urlHost !== address ? [`# containers reach this machine as ${view.urlHost}`] : []),
  ].join('\n');
  const error = add.error ?? remove.error ?? server.error;

  return (
    <Card size="3" mt="4" data-testid="artifacts">
      <Heading size="4" mb="1">
        Develop a framework here
      </Heading>
      <Text as="p" size="2" color="gray" mb="3">
        A libprocess scheduler (the C++/Java/Go drivers) is called back by the master, so it must bind an address the masters reach: the tutorial&apos;s{' '}
        <Code>--address</Code>, which is also where its file server listens for the agents. HTTP (v1) schedulers only connect out and need only MESOS_MASTER.{' '}
        {view?.note}
      </Text>
      <Flex direction="column" gap="3">
        <CopyField label="Environment for a scheduler on this machine" value={env} multiline />
        <CopyField label="--address" value={`--address=${address}`} />
        <div>
          <Text as="div" size="2" weight="medium" mb="1">
            Serve files to the agents {view?.port ? <Text color="gray">(http://{view.urlHost}:{view.port})</Text> : <Text color="gray">(starts with the first file)</Text>}
          </Text>
          <form
            onSubmit={(e) => {
              e.preventDefault();
              if (path.trim()) add.mutate();
            }}
          >
            <Flex gap="2">
              <TextField.Root style={{ flex: 1 }} placeholder="/absolute/path/on/this/machine/executor.tar.gz" value={path} onChange={(e) => setPath(e.target.value)} aria-label="File to serve" />
              <Button type="submit" variant="soft" loading={add.isPending}>
                <FilePlus size={14} /> Serve
              </Button>
            </Flex>
          </form>
          <Flex direction="column" gap="1" mt="2" data-testid="artifact-list">
            {view?.files.map((f) => (
              <Flex key={f.id} gap="2" align="center">
                <CopyField label={`${f.name} · ${f.size} bytes · ${f.path}`} value={f.url} />
                <IconButton size="1" variant="ghost" color="gray" aria-label={`Stop serving ${f.name}`} onClick={() => remove.mutate(f.id)}>
                  <X size={14} />
                </IconButton>
              </Flex>
            ))}
          </Flex>
        </div>
        {error && (
          <Callout.Root color="red" size="1" role="alert">
            <Callout.Icon>
              <CircleAlert size={16} />
            </Callout.Icon>
            <Callout.Text>{error.message}</Callout.Text>
          </Callout.Root>
        )}
      </Flex>
    </Card>
  );
}
