import assert from 'node:assert/strict';
import { classifyTeamsError, TeamsFailure } from '../../../bot/proactive/teamsErrors';

const restError = (statusCode: number, code?: string) =>
  Object.assign(new Error('connector error'), { statusCode, ...(code ? { code, body: { error: { code } } } : {}) });

describe('classifyTeamsError', () => {
  const cases: Array<[string, unknown, TeamsFailure]> = [
    ['404 ConversationNotFound', restError(404, 'ConversationNotFound'), TeamsFailure.ConversationGone],
    ['a bare 404', restError(404), TeamsFailure.ConversationGone],
    ['a 404 with another code (a deleted card on update)', restError(404, 'NotFound'), TeamsFailure.ConversationGone],
    ['403 BotNotInConversationRoster', restError(403, 'BotNotInConversationRoster'), TeamsFailure.Refused],
    ['403 ConversationBlockedByUser', restError(403, 'ConversationBlockedByUser'), TeamsFailure.Refused],
    ['403 BotDisabledByAdmin', restError(403, 'BotDisabledByAdmin'), TeamsFailure.Refused],
    ['a 403 with another code', restError(403, 'Forbidden'), TeamsFailure.Refused],
    ['429 after the client’s retries', restError(429, 'Throttled'), TeamsFailure.Transient],
    ['502', restError(502), TeamsFailure.Transient],
    ['a network error', Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }), TeamsFailure.Transient],
  ];
  for (const [what, error, expected] of cases) {
    it(`${what} → ${expected}`, () => assert.equal(classifyTeamsError(error), expected));
  }
});
