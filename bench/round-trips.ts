/** Wraps an upstream fetch to see how calls overlap: how many sequential round trips an operation waited. */
import type { Fetch } from '../src/upstream/client.js';

export interface RoundTripProbe {
  wrap(fetch: Fetch): Fetch;
  /**
   * Round trips on the critical path: a call that starts after another call of the same window has
   * ended needed that answer first, so it opens a new round trip.
   */
  roundTrips(): number;
  reset(): void;
}

export function roundTripProbe(): RoundTripProbe {
  let events: ('start' | 'end')[] = [];
  return {
    wrap: (fetch) => async (input, init) => {
      events.push('start');
      try {
        return await fetch(input, init);
      } finally {
        events.push('end');
      }
    },
    roundTrips() {
      let trips = 0;
      let endedSinceTripStart = false;
      for (const event of events) {
        if (event === 'start' && (trips === 0 || endedSinceTripStart)) {
          trips += 1;
          endedSinceTripStart = false;
        }
        if (event === 'end') endedSinceTripStart = true;
      }
      return trips;
    },
    reset: () => {
      events = [];
    },
  };
}
