import { Flex, Heading, Text } from '@radix-ui/themes';
import type { ReactNode } from 'react';

export function PageHeader({ title, description, actions }: { title: string; description: string; actions?: ReactNode }) {
  return (
    <Flex justify="between" align="end" gap="4" mb="5">
      <div>
        <Heading size="6" weight="bold">
          {title}
        </Heading>
        <Text as="p" size="2" color="gray" mt="1">
          {description}
        </Text>
      </div>
      {/* The buttons keep their size; the description wraps instead (at 1280 px the Clusters page's two
          buttons were pushed past the edge). */}
      {actions && <Flex flexShrink="0">{actions}</Flex>}
    </Flex>
  );
}
