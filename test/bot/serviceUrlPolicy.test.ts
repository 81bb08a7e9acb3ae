import { expect } from 'chai';
import { ServiceUrlPolicy } from '../../bot/serviceUrlPolicy';

describe('ServiceUrlPolicy', () => {
    const policy = new ServiceUrlPolicy(['https://directline.anytown.gov.uk']);

    it('allows any serviceUrl when replies come back in the response (expectReplies)', () => {
        expect(policy.permits('https://evil.example', 'expectReplies')).to.equal(true);
    });

    it('allows this machine and the listed origins', () => {
        for (const url of [
            'http://localhost:53000',
            'http://127.0.0.1:9000/x',
            'http://[::1]:80',
            'https://directline.anytown.gov.uk/v3/',
        ]) {
            expect(policy.permits(url, undefined), url).to.equal(true);
        }
    });

    it('refuses any other address, and anything that is not an http(s) URL', () => {
        for (const url of [
            'https://evil.example',
            'http://169.254.169.254/latest',
            'file:///etc/passwd',
            'not a url',
            'http://localhost.evil.example',
        ]) {
            expect(policy.permits(url, 'normal'), url).to.equal(false);
        }
    });
});
