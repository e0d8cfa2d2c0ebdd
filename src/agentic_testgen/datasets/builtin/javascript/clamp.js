'use strict';
// Keep numbers inside a closed range: clamp, range checks and wrap-around.

function checkBounds(min, max) {
  if (typeof min !== 'number' || typeof max !== 'number' || Number.isNaN(min) || Number.isNaN(max)) {
    throw new TypeError('bounds must be numbers');
  }
  if (min > max) {
    throw new RangeError(`min (${min}) is greater than max (${max})`);
  }
}

function clamp(value, min, max) {
  checkBounds(min, max);
  if (Number.isNaN(value)) {
    throw new TypeError('value is NaN');
  }
  if (value < min) return min;
  if (value > max) return max;
  return value;
}

function inRange(value, min, max, { inclusive = true } = {}) {
  checkBounds(min, max);
  if (inclusive) {
    return value >= min && value <= max;
  }
  return value > min && value < max;
}

// Wrap value into [min, max): 370 degrees becomes 10, -1 becomes 359.
function wrap(value, min, max) {
  checkBounds(min, max);
  const span = max - min;
  if (span === 0) {
    throw new RangeError('empty range');
  }
  return ((((value - min) % span) + span) % span) + min;
}

module.exports = { clamp, inRange, wrap };
