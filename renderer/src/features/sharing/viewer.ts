/**
 * The audience view's page: its link names the cluster to watch (`?watch=NAME`, beside the viewer
 * token). The host refuses every write of a viewer; the page only says it is watching and follows.
 */
export const WATCHING: string | null = new URL(window.location.href).searchParams.get('watch');
