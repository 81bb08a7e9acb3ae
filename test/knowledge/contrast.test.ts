import { expect } from 'chai';
import { contrastRatio, formatContrastRatio, minimumTextContrast, relativeLuminance } from '../../knowledge/contrast';

describe('contrast', () => {
    describe('relativeLuminance', () => {
        it('is 1 for white and 0 for black', () => {
            expect(relativeLuminance('#ffffff')).to.equal(1);
            expect(relativeLuminance('#000000')).to.equal(0);
        });

        it('weighs green most and blue least, as the eye does', () => {
            const red = relativeLuminance('#ff0000');
            const green = relativeLuminance('#00ff00');
            const blue = relativeLuminance('#0000ff');

            expect(red).to.be.closeTo(0.2126, 1e-9);
            expect(green).to.be.closeTo(0.7152, 1e-9);
            expect(blue).to.be.closeTo(0.0722, 1e-9);
        });

        it('uses the linear part of the sRGB curve for very dark channels', () => {
            // 10/255 is below the 0.04045 threshold, so it is divided by 12.92 rather than raised to 2.4.
            expect(relativeLuminance('#0a0a0a')).to.be.closeTo(10 / 255 / 12.92, 1e-12);
        });

        it('reads upper-case hex the same as lower case', () => {
            expect(relativeLuminance('#1D70B8')).to.equal(relativeLuminance('#1d70b8'));
        });

        it('throws on anything but #rrggbb, rather than returning NaN that would pass every check', () => {
            for (const colour of ['#fff', '1d70b8', '#1d70b', '#1d70b8ff', 'blue', '#gggggg', '']) {
                expect(() => relativeLuminance(colour), colour).to.throw(/#rrggbb/);
            }
        });
    });

    describe('contrastRatio', () => {
        it('is 21 for black and white, in either order', () => {
            expect(contrastRatio('#ffffff', '#000000')).to.equal(21);
            expect(contrastRatio('#000000', '#ffffff')).to.equal(21);
        });

        it('is 1 for a colour against itself', () => {
            expect(contrastRatio('#1d70b8', '#1d70b8')).to.equal(1);
        });

        it('gives GOV.UK blue about 5.17 against white, enough for text', () => {
            const ratio = contrastRatio('#1d70b8', '#ffffff');

            expect(ratio).to.be.closeTo(5.17, 0.005);
            expect(ratio).to.be.at.least(minimumTextContrast);
        });

        it('gives GOV.UK yellow far too little against white for text', () => {
            const ratio = contrastRatio('#ffdd00', '#ffffff');

            expect(ratio).to.be.closeTo(1.35, 0.005);
            expect(ratio).to.be.below(minimumTextContrast);
        });

        it('puts the WCAG 2.2 AA line between the greys #767676 (passes) and #777777 (fails)', () => {
            expect(contrastRatio('#767676', '#ffffff')).to.be.at.least(minimumTextContrast);
            expect(contrastRatio('#777777', '#ffffff')).to.be.below(minimumTextContrast);
        });
    });

    describe('formatContrastRatio', () => {
        it('shows two decimal places, rounded as contrast checkers round', () => {
            expect(formatContrastRatio(contrastRatio('#1d70b8', '#ffffff'))).to.equal('5.17:1');
            expect(formatContrastRatio(21)).to.equal('21.00:1');
            expect(formatContrastRatio(4.478)).to.equal('4.48:1');
        });

        it('never shows a failing ratio as 4.50:1', () => {
            expect(formatContrastRatio(4.4999)).to.equal('4.49:1');
            expect(formatContrastRatio(4.5)).to.equal('4.50:1');
        });
    });
});
