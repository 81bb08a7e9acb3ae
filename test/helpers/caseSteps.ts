/** What a resident types to hand a case to a person, to be phoned back: the last step stores the case. */
export const phoneCaseSteps: readonly string[] = [
    'can i speak to someone',
    'Alex Resident',
    'Phone',
    '07700900123',
    'Yes, share them',
    'Yes, send it',
];
