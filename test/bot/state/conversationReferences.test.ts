import assert from 'node:assert/strict';
import { SqliteDatabase, IN_MEMORY } from '../../../adapters/store/sqlite/sqliteDatabase';
import { SqliteKeyValueStore } from '../../../adapters/store/sqlite/sqliteKeyValueStore';
import { ConversationDirectory, SpeakerCheck } from '../../../bot/state/conversationReferences';

const MEGAN = 'a1b2c3d4-0002-4000-8000-00000000a002';
const TENANT = '6e5c5f0a-4d8e-4f53-9a57-7b1b7a1f0d11';
const reference = (conversationId: string, userId = `29:${MEGAN}`) => ({
  serviceUrl: 'https://smba.trafficmanager.net/teams/',
  conversation: { id: conversationId, conversationType: 'personal', isGroup: false, name: '', tenantId: TENANT },
  user: { id: userId, aadObjectId: MEGAN, name: 'Megan Bowen' },
});
const megan = { objectId: MEGAN, teamsUserId: `29:${MEGAN}`, tenantId: TENANT };

describe('ConversationDirectory (who a person is)', () => {
  let database: SqliteDatabase;
  let store: SqliteKeyValueStore;
  let directory: ConversationDirectory;
  beforeEach(async () => {
    database = await SqliteDatabase.open(IN_MEMORY);
    store = new SqliteKeyValueStore(database);
    directory = new ConversationDirectory(store);
  });
  afterEach(() => database.close());

  it('binds a person to the Teams user id that first spoke, and refuses another one', async () => {
    assert.equal(await directory.rememberSpeaker(megan, reference('a:1')), SpeakerCheck.Saved);
    assert.equal(await directory.rememberSpeaker(megan, reference('a:1')), SpeakerCheck.Unchanged);
    const impostor = { ...megan, teamsUserId: '29:other' };
    assert.equal(await directory.isConsistent(impostor), false);
    assert.equal(await directory.rememberSpeaker(impostor, reference('a:evil', '29:other')), SpeakerCheck.Mismatch);
    assert.equal((await directory.forUser(MEGAN))?.conversation?.id, 'a:1');
    assert.equal(await directory.teamsUserIdOf(MEGAN.toUpperCase()), `29:${MEGAN}`);
  });

  it('refuses the same Teams user id from another tenant', async () => {
    await directory.rememberSpeaker(megan, reference('a:1'));
    assert.equal(await directory.isConsistent({ ...megan, tenantId: '99999999-9999-4999-8999-999999999999' }), false);
  });

  it('follows the same person into a new conversation', async () => {
    await directory.rememberSpeaker(megan, reference('a:1'));
    assert.equal(await directory.rememberSpeaker(megan, reference('a:2')), SpeakerCheck.Saved);
    assert.equal((await directory.forUser(MEGAN))?.conversation?.id, 'a:2');
  });

  it('an installed chat binds to whoever of that objectId speaks first', async () => {
    await directory.rememberInstalled(MEGAN, reference('19:installed@unq.gbl.spaces', MEGAN));
    assert.equal(await directory.teamsUserIdOf(MEGAN), undefined);
    assert.equal(await directory.isConsistent(megan), true);
    assert.equal(await directory.rememberSpeaker(megan, reference('a:1')), SpeakerCheck.Saved);
    assert.equal(await directory.isConsistent({ ...megan, teamsUserId: '29:other' }), false);
  });

  it('reads references saved before speakers were bound', async () => {
    await store.put(`convref:user:${MEGAN}`, reference('a:old'));
    assert.equal((await directory.forUser(MEGAN))?.conversation?.id, 'a:old');
    assert.equal(await directory.isConsistent({ ...megan, teamsUserId: '29:other' }), false);
    await store.put(`convref:user:${MEGAN}`, reference('19:installed', MEGAN));
    assert.equal(await directory.isConsistent({ ...megan, teamsUserId: '29:other' }), true, 'an old installed reference binds nobody yet');
  });

  it('two first contacts racing: only one binds', async () => {
    const other = { ...megan, teamsUserId: '29:other' };
    const results = await Promise.all([directory.rememberSpeaker(megan, reference('a:1')), directory.rememberSpeaker(other, reference('a:2', '29:other'))]);
    assert.deepEqual([...results].sort(), [SpeakerCheck.Mismatch, SpeakerCheck.Saved].sort());
  });
});
