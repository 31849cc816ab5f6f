package io.exlm.mon.doctor;

/** Whether a check reached what it checks over the network: what tells "nothing could be reached at all" apart. */
public enum Reach {
    /** Nothing to reach: the check looks at this machine (memory, disk) or at files. */
    LOCAL,
    /** An endpoint answered (whatever it said). */
    REACHED,
    /** No endpoint answered: refused, unknown host, timeout, TLS. */
    UNREACHABLE
}
