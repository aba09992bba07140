/** The only IPC channels between the preload and the main process. */
export const IPC = {
  call: 'mesoscope:call',
  subscribe: 'mesoscope:subscribe',
  unsubscribe: 'mesoscope:unsubscribe',
  event: 'mesoscope:event',
} as const;
