// domain: the channels a response can come through. Alone in its module so the console can list them without the
// survey schema (and its validation library) in its bundle.
export const CHANNELS = ['web', 'email', 'api', 'kiosk', 'app', 'call-centre', 'chat', 'sms'] as const;
