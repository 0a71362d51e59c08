import BurnwatchCore
import CCurl
