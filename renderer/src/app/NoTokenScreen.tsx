import { Card, Code, Flex, Heading, Text, Theme } from '@radix-ui/themes';
import { Logo } from '../components/Logo';
import { useAppearance } from './use-appearance';

/** A browser that opened the web host without its token: say where the right URL comes from. */
export function NoTokenScreen({ stale = false }: { stale?: boolean }) {
  return (
    <Theme appearance={useAppearance()} accentColor="indigo" grayColor="slate">
      <Flex align="center" justify="center" style={{ minHeight: '100vh' }} p="5">
        <Card size="4" style={{ maxWidth: 520 }}>
          <Flex direction="column" gap="3">
            <Flex align="center" gap="2">
              <Logo />
              <Heading size="5">Open Mesoscope with its access link</Heading>
            </Flex>
            <Text as="p" size="2">
              {stale
                ? 'The Mesoscope host was restarted since this page was opened, and its access token changed. '
                : 'This page needs the access token of the Mesoscope host. '}
              Open the full link that <Code>npm run start:web</Code> printed when it started (it ends in{' '}
              <Code>?token=…</Code>).
            </Text>
          </Flex>
        </Card>
      </Flex>
    </Theme>
  );
}
