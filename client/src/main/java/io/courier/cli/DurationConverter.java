package io.courier.cli;

import io.courier.protocol.units.Quantities;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

import java.time.Duration;

/** {@code 500ms}, {@code 5s}, {@code 2m}: the server's vocabulary for durations. */
final class DurationConverter implements ITypeConverter<Duration> {
    @Override
    public Duration convert(String value) {
        try {
            Duration duration = Quantities.duration("the duration", value);
            if (duration.isZero()) {
                throw new TypeConversionException("a duration must be more than 0, got '" + value + "'");
            }
            return duration;
        } catch (IllegalArgumentException e) {
            throw new TypeConversionException(e.getMessage());
        }
    }
}
