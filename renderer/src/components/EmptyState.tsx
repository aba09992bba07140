import { Flex, Heading, Text } from '@radix-ui/themes';
import type { ReactNode } from 'react';

/** What a page shows when it has nothing yet: an icon, what will be here, and what to do. */
export function EmptyState({ icon, title, children, action }: { icon: ReactNode; title: string; children: ReactNode; action?: ReactNode }) {
  return (
    <Flex direction="column" align="center" justify="center" gap="3" py="9" px="5" className="empty-state">
      <div className="empty-state-icon">{icon}</div>
      <Heading size="4" weight="medium">
        {title}
      </Heading>
      <Text as="p" size="2" color="gray" align="center" style={{ maxWidth: 440 }}>
        {children}
      </Text>
      {action}
    </Flex>
  );
}
