import { AlertDialog, Button, Flex } from '@radix-ui/themes';
import type { ReactNode } from 'react';

/** A destructive action behind a confirmation: the button, then "are you sure" with what will go. */
export function ConfirmButton(props: {
  children: ReactNode;
  title: string;
  description: string;
  confirmLabel: string;
  onConfirm: () => void;
  loading?: boolean;
  size?: '1' | '2';
  /** The button's name when its children are an icon alone. */
  label?: string;
  /** More to read before confirming (shown under the description). */
  details?: ReactNode;
}) {
  return (
    <AlertDialog.Root>
      <AlertDialog.Trigger>
        <Button color="red" variant="soft" loading={props.loading} size={props.size} aria-label={props.label}>
          {props.children}
        </Button>
      </AlertDialog.Trigger>
      <AlertDialog.Content maxWidth={props.details ? '640px' : '460px'}>
        <AlertDialog.Title>{props.title}</AlertDialog.Title>
        <AlertDialog.Description size="2">{props.description}</AlertDialog.Description>
        {props.details}
        <Flex gap="3" mt="4" justify="end">
          <AlertDialog.Cancel>
            <Button variant="soft" color="gray">
              Cancel
            </Button>
          </AlertDialog.Cancel>
          <AlertDialog.Action>
            <Button color="red" onClick={props.onConfirm}>
              {props.confirmLabel}
            </Button>
          </AlertDialog.Action>
        </Flex>
      </AlertDialog.Content>
    </AlertDialog.Root>
  );
}
