import { commentMentions } from '../src';

describe('commentMentions', () => {
  it('finds each @username once, in order of first mention', () => {
    expect(commentMentions('@ann, ask @bob.lee and @ann again')).toEqual(['ann', 'bob.lee']);
  });

  it('ends a name at sentence punctuation and takes the username characters', () => {
    expect(commentMentions('Thanks @carl. See @d_e-f!')).toEqual(['carl', 'd_e-f']);
  });

  it('takes no email address, no @ inside a word, and no lone @', () => {
    expect(commentMentions('mail ann@example.org or x@y; @ alone; @@double')).toEqual([]);
  });

  it('finds mentions at a line start, in emphasis, after a bracket, and (it does not parse markdown) in code', () => {
    expect(commentMentions('@ann\n*@bob* (@carl) `@dave`')).toEqual(['ann', 'bob', 'carl', 'dave']);
  });
});
