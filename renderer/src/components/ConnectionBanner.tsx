import { Callout, Spinner } from '@radix-ui/themes';
import { useConnectionState } from '../api/client-context';

/** Shown in the browser when the web host cannot be reached; the transport reconnects by itself. */
export function ConnectionBanner() {
  const state = useConnectionState();
  if (state === 'open') return null;
  return (
    <Callout.Root color="amber" variant="surface" size="1" className="connection-banner" data-testid="connection-banner">
      <Callout.Icon>
        <Spinner size="1" />
      </Callout.Icon>
      <Callout.Text>
        {state === 'connecting'
          ? 'Connecting to the Mesoscope host…'
          : 'Lost the connection to the Mesoscope host. Reconnecting; what you see may be out of date.'}
      </Callout.Text>
    </Callout.Root>
  );
}
