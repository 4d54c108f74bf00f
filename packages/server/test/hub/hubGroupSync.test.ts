import { startHubGallery, type IHubGallery } from './hubGallery';
import { StandInHub } from './standInHub';

/* Hub groups becoming gallery groups: per user on an identity check, and by the full, paginated sync. */

let hub: StandInHub;
let gallery: IHubGallery;

beforeEach(async () => {
  hub = new StandInHub('service-token');
  await hub.start();
  gallery = await startHubGallery(hub, {
    'hub-group-roles': 'instructors=editor:course-101,tas=member:course-101,heads=owner:course-101'
  });
});

afterEach(async () => {
  await gallery.close();
  await hub.stop();
});

const groupPages = () => hub.requests.filter(path => path === '/hub/api/groups').length;
const rolesOf = async (username: string) => Object.fromEntries(await gallery.app.groups.rolesOf(username));

describe('hub group sync', () => {
  it('gives a user the member role in their hub groups on their first request', async () => {
    const token = hub.addUser('alice', { groups: ['physics', 'chemistry'] });
    expect((await gallery.request(token, { method: 'GET', url: '/api/groups' })).statusCode).toBe(200);
    const listed = await gallery.request(token, { method: 'GET', url: '/api/groups' });
    expect(listed.json().items.map((group: { name: string; role: string }) => [group.name, group.role])).toEqual([
      ['chemistry', 'member'],
      ['physics', 'member']
    ]);
  });

  it('applies the role mapping, the highest role winning', async () => {
    const token = hub.addUser('ines', { groups: ['instructors', 'tas'] });
    const tara = hub.addUser('tara', { groups: ['tas'] });
    await gallery.request(token, { method: 'GET', url: '/api/groups' });
    await gallery.request(tara, { method: 'GET', url: '/api/groups' });
    expect(await rolesOf('ines')).toEqual({ instructors: 'member', tas: 'member', 'course-101': 'editor' });
    expect(await rolesOf('tara')).toEqual({ tas: 'member', 'course-101': 'member' });
  });

  it('syncs all 250 hub groups page by page; the hub cuts a list without the pagination header at 200', async () => {
    for (let i = 0; i < 250; i++) {
      hub.addMember(`group-${String(i).padStart(3, '0')}`, 'alice');
    }
    hub.addUser('alice');
    const bare = await fetch(`${hub.apiUrl}/groups`, { headers: { authorization: 'token service-token' } });
    expect(((await bare.json()) as unknown[]).length).toBe(200);
    await gallery.app.accounts.hubUser('alice', false);
    const report = await gallery.app.syncHubGroups();
    expect(report).toEqual({ groups: 251, skippedGroups: [], users: 1 });
    expect(groupPages()).toBe(3);
    expect(await gallery.app.groups.exists('group-249')).toBe(true);
    expect(await gallery.app.groups.exists('course-101')).toBe(true);
    expect(Object.keys(await rolesOf('alice'))).toHaveLength(250);
    expect((await rolesOf('alice'))['group-249']).toBe('member');
  });

  it('creates the groups of members who have no account yet, and adds them when they first arrive', async () => {
    hub.addMember('instructors', 'ines');
    await gallery.app.syncHubGroups();
    expect(await gallery.app.groups.exists('instructors')).toBe(true);
    expect((await gallery.app.groups.get('instructors', null)).members).toEqual([]);
    const token = hub.addUser('ines', { groups: ['instructors'] });
    await gallery.request(token, { method: 'GET', url: '/api/groups' });
    expect(await rolesOf('ines')).toEqual({ instructors: 'member', 'course-101': 'editor' });
  });

  it('removes synced memberships the hub no longer gives', async () => {
    const token = hub.addUser('alice', { groups: ['physics', 'instructors'] });
    await gallery.request(token, { method: 'GET', url: '/api/groups' });
    hub.groups.get('instructors')!.delete('alice');
    await gallery.app.syncHubGroups();
    expect(await rolesOf('alice')).toEqual({ physics: 'member' });
    hub.deleteUser('alice');
    await gallery.app.syncHubGroups();
    expect(await rolesOf('alice')).toEqual({});
  });

  it('never lowers or removes a role set in the gallery', async () => {
    const root = hub.addUser('root', { admin: true });
    const token = hub.addUser('alice', { groups: ['physics', 'tas'] });
    await gallery.request(token, { method: 'GET', url: '/api/groups' });
    for (const [group, role] of [
      ['physics', 'editor'],
      ['course-101', 'owner']
    ]) {
      const set = await gallery.request(root, {
        method: 'PUT',
        url: `/api/groups/${group}/members/alice`,
        payload: { role }
      });
      expect(set.statusCode).toBe(200);
    }
    await gallery.app.syncHubGroups();
    gallery.advance(61);
    await gallery.request(token, { method: 'GET', url: '/api/groups' });
    expect(await rolesOf('alice')).toEqual({ physics: 'editor', tas: 'member', 'course-101': 'owner' });
    hub.groups.get('physics')!.delete('alice');
    hub.groups.get('tas')!.delete('alice');
    await gallery.app.syncHubGroups();
    expect(await rolesOf('alice')).toEqual({ physics: 'editor', 'course-101': 'owner' });
  });

  it('only logs when the hub is down, and syncs again once it is back', async () => {
    hub.addMember('physics', 'alice');
    await hub.stop();
    const warn = jest.spyOn(gallery.app.log, 'warn');
    await expect(gallery.app.syncHubGroups()).resolves.toBeNull();
    expect(warn).toHaveBeenCalledWith(expect.stringMatching(/^hub group sync failed: no connection from http:\/\/127/));
    await hub.start();
    await expect(gallery.app.syncHubGroups()).resolves.toMatchObject({ groups: 2 });
  });

  it('changes nothing when the hub refuses the service token the group list', async () => {
    const token = hub.addUser('alice', { groups: ['physics'] });
    await gallery.request(token, { method: 'GET', url: '/api/groups' });
    hub.groups.get('physics')!.delete('alice');
    hub.serviceToken = 'a token the gallery does not have';
    await expect(gallery.app.syncHubGroups()).resolves.toBeNull();
    expect(await rolesOf('alice')).toEqual({ physics: 'member' });
  });
});

describe('periodic hub group sync', () => {
  it('runs when the app is ready and never overlaps itself', async () => {
    for (let i = 0; i < 250; i++) {
      hub.addMember(`group-${i}`, 'nobody');
    }
    const periodic = await startHubGallery(hub, { 'hub-sync-interval': '1h' });
    try {
      await periodic.app.ready();
      const [first, second] = await Promise.all([periodic.app.syncHubGroups(), periodic.app.syncHubGroups()]);
      expect(first).toEqual(second);
      expect(first).toMatchObject({ groups: 250 });
      expect(groupPages()).toBe(2);
      expect(await periodic.app.groups.exists('group-249')).toBe(true);
    } finally {
      await periodic.close();
    }
  });

  it('stops with the app: closing waits for a running sync and clears the timer', async () => {
    hub.addMember('physics', 'nobody');
    const periodic = await startHubGallery(hub, { 'hub-sync-interval': '1h' });
    await periodic.app.ready();
    const cleared = jest.spyOn(global, 'clearInterval');
    let finished = false;
    void periodic.app.syncHubGroups().then(() => (finished = true));
    await periodic.close();
    expect(finished).toBe(true);
    expect(cleared).toHaveBeenCalled();
    cleared.mockRestore();
  });
});
