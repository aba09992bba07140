import { Card, Flex, Heading, SegmentedControl, Text } from '@radix-ui/themes';
import { type ThemePreference, useUiStore } from '../../store/ui-store';

export function AppearanceSettings() {
  const theme = useUiStore((s) => s.theme);
  const setTheme = useUiStore((s) => s.setTheme);
  return (
    <Card size="3">
      <Flex justify="between" align="center" gap="4">
        <div>
          <Heading size="4">Appearance</Heading>
          <Text as="p" size="2" color="gray" mt="1">
            System follows your operating system's light or dark mode.
          </Text>
        </div>
        <SegmentedControl.Root value={theme} onValueChange={(value) => setTheme(value as ThemePreference)}>
          <SegmentedControl.Item value="system">System</SegmentedControl.Item>
          <SegmentedControl.Item value="light">Light</SegmentedControl.Item>
          <SegmentedControl.Item value="dark">Dark</SegmentedControl.Item>
        </SegmentedControl.Root>
      </Flex>
    </Card>
  );
}
