/**
 * How many people a broadcast (an incident's or a notice's "publish and notify") reaches, asked
 * before it is sent (issue 15 item 8): the people in its scope with an account, and the
 * notifications per channel (one person may get mail, push and SMS; post is never sent by us).
 */
export interface BroadcastReachDto {
  people: number;
  email: number;
  push: number;
  sms: number;
}

export interface BroadcastReachResponse {
  reach: BroadcastReachDto;
}
