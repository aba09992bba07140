import { Callout } from '@radix-ui/themes';
import { CircleAlert, TriangleAlert } from 'lucide-react';
import type { ComponentProps, ReactNode } from 'react';

type Props = Omit<ComponentProps<typeof Callout.Root>, 'color' | 'children'> & { children: ReactNode; textClassName?: string };

/** An error in words: red, with the alert icon, announced to screen readers (role="alert"). */
export function ErrorCallout({ children, textClassName, ...root }: Omit<Props, 'role'>) {
  return (
    <Callout.Root color="red" role="alert" {...root}>
      <Callout.Icon>
        <CircleAlert size={16} />
      </Callout.Icon>
      <Callout.Text className={textClassName}>{children}</Callout.Text>
    </Callout.Root>
  );
}

/** A warning in words: amber, with the warning sign. */
export function WarningCallout({ children, textClassName, ...root }: Props) {
  return (
    <Callout.Root color="amber" {...root}>
      <Callout.Icon>
        <TriangleAlert size={16} />
      </Callout.Icon>
      <Callout.Text className={textClassName}>{children}</Callout.Text>
    </Callout.Root>
  );
}
