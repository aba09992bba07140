/** One frame of a 60 Hz display (headless Chromium's frame clock). */
export const DISPLAY_FRAME = 1000 / 60;

/**
 * A gap between two animation frames in whole display frames (at least one), in ms. Headless Chromium's
 * frame clock jitters by a tenth of a millisecond or so: a gap of 50.1 ms is three frames, 50 ms.
 */
export const inDisplayFrames = (gap: number) => Math.max(1, Math.round(gap / DISPLAY_FRAME)) * DISPLAY_FRAME;
