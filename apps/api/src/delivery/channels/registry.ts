import type { Channel, ChannelMessage } from './channel';

export type ChannelKind = ChannelMessage['channel'];

/**
 * The channels this process can deliver through. The delivery engine only claims messages of registered
 * channels, so a channel missing from a deployment leaves its messages pending instead of failing them.
 */
export class ChannelRegistry {
  private readonly channels = new Map<ChannelKind, Channel>();

  constructor(channels: Partial<Record<ChannelKind, Channel>> = {}) {
    for (const [kind, channel] of Object.entries(channels) as [ChannelKind, Channel | undefined][]) {
      if (channel) this.register(kind, channel);
    }
  }

  register(kind: ChannelKind, channel: Channel): void {
    this.channels.set(kind, channel);
  }

  get(kind: ChannelKind): Channel | undefined {
    return this.channels.get(kind);
  }

  kinds(): ChannelKind[] {
    return [...this.channels.keys()];
  }
}
