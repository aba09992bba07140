import { Button, Flex, Text } from '@radix-ui/themes';
import { useQuery } from '@tanstack/react-query';
import { TriangleAlert } from 'lucide-react';
import { useState } from 'react';
import { useClient } from '../../api/client-context';

/**
 * Whether an image is here and built for this Docker host. A local image is inspected at once; the
 * registry is asked only when the user says so (a registry may be slow, private or unreachable).
 */
export function ImageCheckLine({ image }: { image: string }) {
  const client = useClient();
  const [askRegistry, setAskRegistry] = useState(false);
  const { data } = useQuery({
    queryKey: ['images.check', image, askRegistry],
    queryFn: async () => (await client.call('images.check', { images: [image], askRegistry }))[0],
  });
  if (!data) return null;
  return (
    <Flex gap="2" align="center" style={{ paddingLeft: 102 }} data-testid={`image-check-${image}`}>
      {data.warning ? (
        <Text size="1" color="amber">
          <TriangleAlert size={12} /> {data.warning}
        </Text>
      ) : data.present ? (
        <Text size="1" color="green">
          Present · {data.architectures?.join(', ')} (this engine: {data.hostArch})
        </Text>
      ) : data.architectures ? (
        <Text size="1" color="gray">
          In its registry for {data.architectures.join(', ')}; pulled at the first launch.
        </Text>
      ) : (
        <>
          <Text size="1" color={data.error ? 'red' : 'gray'}>
            {data.error ? `Registry: ${data.error}` : 'Not present here; pulled at the first launch.'}
          </Text>
          {!askRegistry && (
            <Button size="1" variant="ghost" onClick={() => setAskRegistry(true)}>
              Check in its registry
            </Button>
          )}
        </>
      )}
    </Flex>
  );
}
