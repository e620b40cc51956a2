import { expect } from 'chai';
import { checkBackendUrl } from './index.js';

describe('checkBackendUrl', () => {
  const good = ['http://nn1.example.com:50070/webhdfs', 'https://h:1', 'https://h:65535/', 'http://[::1]:8080/x', 'HTTP://Host/path', '  http://a:1  '];
  for (const url of good) it(`accepts ${JSON.stringify(url)}`, () => expect(checkBackendUrl(url)).to.equal(undefined));

  // Regression (review): http:nn1:50070, http://a:0 and http://null:8080 were accepted.
  const bad: { desc: string; url: string; problem: string }[] = [
    { desc: 'no // authority', url: 'http:nn1:50070', problem: 'expected http://host, got "http:nn1:50070"' },
    { desc: 'port 0', url: 'http://a:0', problem: 'port must be 1..65535, got "0": "http://a:0"' },
    { desc: 'port 0 written 00', url: 'http://a:00/x', problem: 'port must be 1..65535, got "00": "http://a:00/x"' },
    { desc: 'a port above 65535', url: 'http://a:65536', problem: 'port must be 1..65535, got "65536": "http://a:65536"' },
    { desc: 'an empty port', url: 'http://a:/x', problem: 'port must be 1..65535, got "": "http://a:/x"' },
    { desc: 'an empty host', url: 'http://:8080', problem: 'URL has no host: "http://:8080"' },
    { desc: 'an empty authority', url: 'http:///x', problem: 'URL has no host: "http:///x"' },
    { desc: 'the host null', url: 'http://null:8080', problem: 'host "null" is not a real host (a bug upstream?): "http://null:8080"' },
    { desc: 'the host undefined (any case)', url: 'https://UNDEFINED/x', problem: 'host "UNDEFINED" is not a real host (a bug upstream?): "https://UNDEFINED/x"' },
    { desc: 'an unbracketed IPv6 address', url: 'http://fe80::1:8080', problem: 'an IPv6 address must be in brackets, e.g. http://[::1]:8080, got "http://fe80::1:8080"' },
    { desc: 'port 0 after an IPv6 address', url: 'http://[::1]:0', problem: 'port must be 1..65535, got "0": "http://[::1]:0"' },
    { desc: 'credentials (not echoed)', url: 'http://u:secret@a/', problem: 'URL must not contain credentials' },
    { desc: 'a user name (not echoed)', url: 'http://u@a/', problem: 'URL must not contain credentials' },
    { desc: 'a query, even an empty one', url: 'http://a/?', problem: 'URL must not have a query: "http://a/?…"' },
    { desc: 'a query is never echoed (messages reach logs)', url: 'http://a/x?token=secret', problem: 'URL must not have a query: "http://a/x?…"' },
    { desc: 'a fragment', url: 'http://a/#x', problem: 'URL must not have a fragment: "http://a/?…"' },
    { desc: 'a relative URL', url: '/webhdfs', problem: 'not an absolute URL: "/webhdfs"' },
    { desc: 'another scheme', url: 'ftp://a', problem: 'expected an http or https URL, got "ftp://a"' },
    { desc: 'whitespace inside', url: 'http://a b/', problem: 'URL contains whitespace or control characters: "http://a b/"' },
    { desc: 'nothing', url: ' ', problem: 'empty URL' },
  ];
  for (const c of bad) it(`refuses ${c.desc}`, () => expect(checkBackendUrl(c.url)).to.equal(c.problem));
});
