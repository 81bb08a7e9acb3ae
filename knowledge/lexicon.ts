/**
 * Language data for the normaliser: contractions and text-speak, American and common misspelt forms, and the
 * filler words that carry no meaning for routing. This is English-language engine data, not council content:
 * council-specific wording belongs in the knowledge phrases.
 */

/** Whole-word replacements applied before anything else (apostrophes already removed). */
export const replacements: Readonly<Record<string, string>> = {
    // Contractions and text-speak.
    wasnt: 'was not',
    werent: 'were not',
    isnt: 'is not',
    arent: 'are not',
    didnt: 'did not',
    doesnt: 'does not',
    dont: 'do not',
    hasnt: 'has not',
    havent: 'have not',
    hadnt: 'had not',
    wont: 'will not',
    cant: 'can not',
    cannot: 'can not',
    couldnt: 'could not',
    shouldnt: 'should not',
    wouldnt: 'would not',
    aint: 'is not',
    im: 'i am',
    ive: 'i have',
    youre: 'you are',
    youve: 'you have',
    weve: 'we have',
    shes: 'she is',
    hes: 'he is',
    theyll: 'they will',
    theyre: 'they are',
    theyve: 'they have',
    whats: 'what is',
    wheres: 'where is',
    whos: 'who is',
    hows: 'how is',
    theres: 'there is',
    thats: 'that is',
    its: 'it is',
    wanna: 'want to',
    gonna: 'going to',
    gotta: 'got to',
    kil: 'kill',
    some1: 'someone',
    sum1: 'someone',
    sumone: 'someone',
    somone: 'someone',
    sombody: 'somebody',
    spk: 'speak',
    tlk: 'talk',
    hubby: 'husband',
    bf: 'boyfriend',
    gf: 'girlfriend',
    kms: 'kill myself',
    u: 'you',
    ur: 'your',
    r: 'are',
    pls: 'please',
    plz: 'please',
    plse: 'please',
    thx: 'thanks',
    ty: 'thanks',
    wat: 'what',
    wot: 'what',
    wen: 'when',
    cos: 'because',
    coz: 'because',
    bc: 'because',
    nite: 'night',
    tonite: 'tonight',
    '2nite': 'tonight',
    '2day': 'today',
    tmrw: 'tomorrow',
    // American spellings and words, to the British form the knowledge uses.
    color: 'colour',
    neighbor: 'neighbour',
    neighbors: 'neighbours',
    center: 'centre',
    license: 'licence',
    licenses: 'licences',
    licensed: 'licenced',
    program: 'programme',
    tire: 'tyre',
    tires: 'tyres',
    gray: 'grey',
    trash: 'rubbish',
    garbage: 'rubbish',
    sidewalk: 'pavement',
    apartment: 'flat',
    realtor: 'estate agent',
    mom: 'mum',
    // Frequent misspellings the fuzzy matcher is too cautious to fix (short words, or several slips).
    counsil: 'council',
    councel: 'council',
    concil: 'council',
    cousil: 'council',
    councli: 'council',
    recieve: 'receive',
    recieved: 'received',
    reciept: 'receipt',
    adress: 'address',
    seperate: 'separate',
    rubish: 'rubbish',
    wheely: 'wheelie',
    wheelybin: 'wheelie bin',
    wheeliebin: 'wheelie bin',
    binmen: 'bin men',
    binman: 'bin man',
    dustbin: 'bin',
    dustmen: 'bin men',
    benifit: 'benefit',
    liscence: 'licence',
    licens: 'licence',
    lisence: 'licence',
    permision: 'permission',
    planing: 'planning',
    emptyed: 'emptied',
    emptid: 'emptied',
    colected: 'collected',
    collectd: 'collected',
    poothole: 'pothole',
    streetlite: 'street light',
    streetlight: 'street light',
    streetlights: 'street lights',
};

/** Words that carry no meaning for routing. Negations and question words that change the service are kept. */
export const stopWords: ReadonlySet<string> = new Set(
    `a an the and or but if of at by for with about to from in on off into onto over up out as so than too very
    i me my mine myself we us our ours you your yours he him his she her hers it its they them their theirs
    this that these those there here is am are was were be been being have has had do does did doing
    would should could will shall may might must can
    hi hello hey hiya morning afternoon evening dear please thanks thank cheers ok okay yes yeah
    just really actually basically also still already some any anyone someone something anything
    how what which who whom whose why where
    get got getting go going went want wanted need needed like know tell let find help
    am pm etc`
        .split(/\s+/)
        .filter(Boolean),
);

/** Spelling rules by word ending, American to British. */
export const spellingsBySuffix: ReadonlyArray<readonly [RegExp, string]> = [
    // organize → organise, realized → realised; only longer words, so "size" and "prize" are left alone.
    [/^(\p{L}{3,})iz(e|es|ed|ing|ation|ations)$/u, '$1is$2'],
];
